import { AuditModule } from '@gopy/audit';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CasesModule } from '@gopy/cases';
import { CryptoModule } from '@gopy/crypto';
import { DatabaseModule } from '@gopy/database';
import { DeskModule } from '@gopy/desk';
import { DigestModule } from '@gopy/digest';
import { MailboxModule } from '@gopy/mailbox';
import { DirectoryModule } from '@gopy/directory';
import { IntakeModule } from '@gopy/intake';
import { AuthPagesController } from './desk/auth-pages.controller';
import { DeskApiController } from './desk/desk-api.controller';
import { DeskChannelsController } from './desk/desk-channels.controller';
import { DeskPagesController } from './desk/desk-pages.controller';
import { DigestPagesController } from './desk/digest-pages.controller';
import { HotIssuesController } from './desk/hot-issues.controller';
import { HealthController } from './health/health.controller';
import { StaffGuard } from './http/staff-access';
import { GopyExceptionFilter } from './http/gopy-exception.filter';
import { RateLimitGuard, RateLimiter } from './http/rate-limit';
import { IntakePagesController } from './intake/intake-pages.controller';
import { SubmissionsController } from './intake/submissions.controller';

/** The HTTP edge: public pages and API, health. Configuration and logging come from the caller. */
@Module({
  imports: [
    AuditModule,
    DatabaseModule,
    CryptoModule,
    CasesModule,
    DirectoryModule,
    IntakeModule,
    DeskModule,
    MailboxModule,
    DigestModule,
  ],
  controllers: [
    IntakePagesController,
    SubmissionsController,
    HealthController,
    AuthPagesController,
    DeskPagesController,
    DeskApiController,
    DeskChannelsController,
    DigestPagesController,
    HotIssuesController,
  ],
  providers: [
    RateLimiter,
    { provide: APP_GUARD, useClass: StaffGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: GopyExceptionFilter },
  ],
})
export class ApiModule {}
