import type { DomainError } from './domain.error';

/**
 * Turns an error a lower layer threw (a driver's connection error, say) into the DomainError
 * it stands for, or undefined when it does not recognise it. A lib that owns such errors
 * provides one under ERROR_TRANSLATOR; ProblemDetailsFilter consults it before answering 500.
 */
export type ErrorTranslator = (error: unknown) => DomainError | undefined;

export const ERROR_TRANSLATOR = Symbol('ERROR_TRANSLATOR');
