import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@gopy/audit';
import { SessionsService } from './sessions.service';
import { StaffUserEntity } from './staff-user.entity';
import { StaffUsersService } from './staff-users.service';

@Module({
  imports: [TypeOrmModule.forFeature([StaffUserEntity]), AuditModule],
  providers: [SessionsService, StaffUsersService],
  exports: [SessionsService, StaffUsersService],
})
export class AuthModule {}
