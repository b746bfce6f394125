import { IntakeFoundation1763700000000 } from './1763700000000-intake-foundation';
import { Directory1763800000000 } from './1763800000000-directory';
import { AuditLog1763900000000 } from './1763900000000-audit-log';
import { Desk1764000000000 } from './1764000000000-desk';
import { Channels1764100000000 } from './1764100000000-channels';
import { Mailboxes1764200000000 } from './1764200000000-mailboxes';
import { Digests1764300000000 } from './1764300000000-digests';
import { MailAttachments1764400000000 } from './1764400000000-mail-attachments';
import { DigestIndexes1764500000000 } from './1764500000000-digest-indexes';
import { ClusterAnswers1764600000000 } from './1764600000000-cluster-answers';
import { SubmitterKeys1764700000000 } from './1764700000000-submitter-keys';
import { DigestMailed1764800000000 } from './1764800000000-digest-mailed';

/** Every migration, in order. Listed as classes so ts-jest and dist run the same list. */
export const MIGRATIONS = [
  IntakeFoundation1763700000000,
  Directory1763800000000,
  AuditLog1763900000000,
  Desk1764000000000,
  Channels1764100000000,
  Mailboxes1764200000000,
  Digests1764300000000,
  MailAttachments1764400000000,
  DigestIndexes1764500000000,
  ClusterAnswers1764600000000,
  SubmitterKeys1764700000000,
  DigestMailed1764800000000,
];
