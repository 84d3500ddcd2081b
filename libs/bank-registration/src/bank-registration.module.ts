import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ObsealCertificateEntity } from './certificates/obseal-certificate.entity';
import { ObsealCertificateService } from './certificates/obseal-certificate.service';
import { ObsealCertificatesController } from './certificates/obseal-certificates.controller';
import {
  ObsealCertificateRepository,
  ObwacCertificateRepository,
} from './certificates/certificate.repository';
import { ObwacCertificateEntity } from './certificates/obwac-certificate.entity';
import { ObwacCertificateService } from './certificates/obwac-certificate.service';
import { ObwacCertificatesController } from './certificates/obwac-certificates.controller';
import { BankRegistrationEntity } from './registrations/bank-registration.entity';
import { BankRegistrationRepository } from './registrations/bank-registration.repository';
import { BankRegistrationService } from './registrations/bank-registration.service';
import { BankRegistrationsController } from './registrations/bank-registrations.controller';
import { BankSessionFactory } from './registrations/bank-session.factory';
import { ClientContextCache } from './registrations/client-context.cache';
import { ClientContextFactory } from './registrations/client-context.factory';
import { DcrRegistrar } from './registrations/dcr-registrar';
import { RegistrationEndpointClient } from './registrations/registration-endpoint.client';
import { RegistrationManagementService } from './registrations/registration-management.service';
import { BankTrust } from './shared/bank-trust';
import { JwtSigner } from './shared/jwt-signer';
import { SoftwareStatementEntity } from './software-statements/software-statement.entity';
import { SoftwareStatementRepository } from './software-statements/software-statement.repository';
import { SoftwareStatementService } from './software-statements/software-statement.service';
import { SoftwareStatementsController } from './software-statements/software-statements.controller';
import { SsaDirectoryClient } from './software-statements/ssa-directory.client';

/**
 * Certificates, software statements and bank registrations (UK DCR or import), under
 * /v1/manage. Needs the global config, persistence, bank-profiles, bank-http, fapi and
 * token-management modules. Other feature modules use ClientContextFactory (and BankTrust).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ObwacCertificateEntity,
      ObsealCertificateEntity,
      SoftwareStatementEntity,
      BankRegistrationEntity,
    ]),
  ],
  controllers: [
    ObwacCertificatesController,
    ObsealCertificatesController,
    SoftwareStatementsController,
    BankRegistrationsController,
  ],
  providers: [
    ObwacCertificateRepository,
    ObsealCertificateRepository,
    SoftwareStatementRepository,
    BankRegistrationRepository,
    ObwacCertificateService,
    ObsealCertificateService,
    SsaDirectoryClient,
    SoftwareStatementService,
    JwtSigner,
    BankTrust,
    BankSessionFactory,
    RegistrationEndpointClient,
    DcrRegistrar,
    BankRegistrationService,
    RegistrationManagementService,
    ClientContextCache,
    ClientContextFactory,
  ],
  exports: [ClientContextFactory, BankTrust],
})
export class BankRegistrationModule {}
