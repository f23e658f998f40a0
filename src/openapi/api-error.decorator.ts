import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from '../http/error-body';

/**
 * Documents an error answer particular to a route (404, 409...), in the one error shape. The
 * answers every route shares (400, 401, 403, 429, 503) are added by `buildOpenApiDocument`.
 */
export const ApiError = (status: number, description: string) =>
  ApiResponse({ status, description, type: ErrorBody });
