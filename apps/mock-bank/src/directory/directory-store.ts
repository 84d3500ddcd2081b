import type { SoftwareStatementEnrolment } from './software-statement-enrolment';

/** In-memory register of enrolled software statements, keyed by organisation and software id. */
export class DirectoryStore {
  private readonly enrolments = new Map<string, SoftwareStatementEnrolment>();

  enrol(enrolment: SoftwareStatementEnrolment): void {
    this.enrolments.set(key(enrolment.organisationId, enrolment.softwareId), enrolment);
  }

  get(organisationId: string, softwareId: string): SoftwareStatementEnrolment | undefined {
    return this.enrolments.get(key(organisationId, softwareId));
  }

  findBySoftwareId(softwareId: string): SoftwareStatementEnrolment | undefined {
    return [...this.enrolments.values()].find((e) => e.softwareId === softwareId);
  }
}

function key(organisationId: string, softwareId: string): string {
  return `${organisationId}/${softwareId}`;
}
