import { SetMetadata } from '@nestjs/common';

export const ACCESS = Symbol('gopy:access');

/**
 * Every route declares who may call it. Public routes say so explicitly; staff routes
 * (later) declare their roles. A test fails for any route that declares nothing.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'public');
