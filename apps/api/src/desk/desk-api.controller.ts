import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type StaffPrincipal, STAFF_ROLES } from '@gopy/auth';
import { type CaseDetail, type CaseList, DeskService, parseDeskFilters } from '@gopy/desk';
import { FieldValidationError, GopyError } from '@gopy/errors';
import { Roles } from '../http/public.decorator';
import { Staff } from '../http/staff-access';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The desk as JSON, for scripts and integrations signed in with a desk session. Read-only. */
@ApiTags('desk')
@Controller('api/v1/desk')
export class DeskApiController {
  constructor(private readonly desk: DeskService) {}

  @Get('cases')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'Cases in the signed-in person’s scope, filtered as on the desk (keyset pages).' })
  list(@Staff() principal: StaffPrincipal, @Query() query: Record<string, unknown>): Promise<CaseList> {
    const filters = parseDeskFilters(query, 'all');
    if (Object.keys(filters.issues).length > 0) throw new FieldValidationError(filters.issues);
    return this.desk.list(principal, filters);
  }

  @Get('cases/:id')
  @Roles(...STAFF_ROLES)
  @ApiOperation({ summary: 'One case with its timeline and routing explanation; another unit’s case is 404.' })
  detail(@Staff() principal: StaffPrincipal, @Param('id') id: string): Promise<CaseDetail> {
    if (!UUID.test(id)) throw new GopyError('not_found');
    return this.desk.detail(principal, id);
  }
}
