import 'reflect-metadata';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ApiModule } from '../api.module';
import { ACCESS } from './public.decorator';

type Controller = new (...args: never[]) => object;

// Every route must say who may call it: public routes explicitly, staff routes by role.
describe('route access declarations', () => {
  const controllers: Controller[] = Reflect.getMetadata('controllers', ApiModule) ?? [];

  it('finds the controllers', () => {
    expect(controllers.length).toBeGreaterThan(0);
  });

  it.each(controllers.map((c) => [c.name, c] as const))('%s declares access on every route', (_name, controller) => {
    const prototype = controller.prototype as Record<string, unknown>;
    const routes = Object.getOwnPropertyNames(prototype).filter(
      (method) =>
        method !== 'constructor' && Reflect.getMetadata(PATH_METADATA, prototype[method] as object) !== undefined,
    );
    expect(routes.length).toBeGreaterThan(0);
    for (const method of routes) {
      const declared =
        Reflect.getMetadata(ACCESS, prototype[method] as object) ?? Reflect.getMetadata(ACCESS, controller);
      expect({ route: `${controller.name}.${method}`, declared }).toEqual({
        route: `${controller.name}.${method}`,
        declared: expect.anything(),
      });
    }
  });
});
