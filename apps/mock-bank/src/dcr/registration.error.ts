/** The UK DCR error codes (RegistrationError in the DCR OpenAPI document). */
export type RegistrationErrorCode =
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement';

export class RegistrationError extends Error {
  constructor(
    readonly error: RegistrationErrorCode,
    description: string,
  ) {
    super(description.slice(0, 500));
  }

  toJSON(): { error: RegistrationErrorCode; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}
