import { SetMetadata } from '@nestjs/common';
import type { StaffRole } from '@gopy/auth';

export const ACCESS = Symbol('gopy:access');

export type Access = 'public' | readonly StaffRole[];

/**
 * Every route declares who may call it: public routes say so explicitly, staff routes name
 * their roles. A test fails for any route that declares nothing, and the staff guard
 * refuses a route without a declaration.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, 'public');

export const Roles = (...roles: StaffRole[]): MethodDecorator & ClassDecorator => SetMetadata(ACCESS, roles);
