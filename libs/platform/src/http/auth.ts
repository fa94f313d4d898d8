import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import { PlatformError } from '@oksio/kernel';
import type { Role } from '../config/config';
import { ApiKeyRegistry, type ApiPrincipal } from './api-keys';

export class UnauthenticatedError extends PlatformError {
  readonly status = 401;
}
export class ForbiddenError extends PlatformError {
  readonly status = 403;
}

const ROLES_KEY = 'oksio:roles';
const PUBLIC_KEY = 'oksio:public';

/** Roles allowed on a handler or controller. Without it only `admin` passes (deny by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No authentication (health only). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export type AuthenticatedRequest = Request & { principal?: ApiPrincipal };

export function requestOf(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext().req;
  return context.switchToHttp().getRequest();
}

export function presentedKey(request: Request): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return null;
}

/** The principal of the request's API key; 401 without a key or with an unknown one. */
export function authenticate(keys: ApiKeyRegistry, request: Request): ApiPrincipal {
  const key = presentedKey(request);
  if (!key) throw new UnauthenticatedError('unauthenticated', 'An API key is required (X-API-Key or Authorization: Bearer)');
  const principal = keys.authenticate(key);
  if (!principal) throw new UnauthenticatedError('unauthenticated', 'The API key is not recognised');
  return principal;
}

/** The roles a handler admits, as the guard reads them (handler, then controller; admin by default). */
export function allowedRoles(controller: Function, handler: Function): Role[] {
  return (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller) ?? ['admin']) as Role[];
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = requestOf(context);
    const principal = authenticate(this.keys, request);
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? ['admin'];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenError('forbidden', `Role ${principal.role} may not do this (allowed: ${allowed.join(', ')})`);
    }
    return true;
  }
}
