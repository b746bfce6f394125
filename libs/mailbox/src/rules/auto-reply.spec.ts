import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bouncedMessageIds, classifyHeaderBlock, classifyInbound } from './auto-reply';

const FIXTURES = join(__dirname, '../../../../test/fixtures/mail');

describe('classifyInbound', () => {
  const personal = { kind: 'personal', suppressReceipt: false, reason: 'no automatic-mail markers' };

  it('treats ordinary mail as personal', () => {
    expect(classifyInbound({ From: 'An <an@example.vn>', Subject: 'Góp ý' }, 'text/plain', '<an@example.vn>')).toEqual(
      personal,
    );
    expect(classifyInbound(new Map([['auto-submitted', 'no']]), 'text/plain', undefined)).toEqual(personal);
  });

  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [
      { 'auto-submitted': 'auto-generated; owner-email="x@example.vn"' },
      'Auto-Submitted: auto-generated; owner-email="x@example.vn"',
    ],
    [{ 'X-Auto-Response-Suppress': 'All' }, 'X-Auto-Response-Suppress: All'],
    [{ 'X-Auto-Response-Suppress': 'DR, RN, NRN' }, 'X-Auto-Response-Suppress: DR, RN, NRN'],
    [{ 'X-Auto-Response-Suppress': 'OOF' }, 'X-Auto-Response-Suppress: OOF'],
    [{ 'X-Autoreply': 'yes' }, 'x-autoreply present'],
    [{ 'X-Autorespond': 'Tôi đang nghỉ phép' }, 'x-autorespond present'],
    [{ Precedence: 'auto_reply' }, 'Precedence: auto_reply'],
  ])('flags %j as an auto-reply', (headers, reason) => {
    expect(classifyInbound(headers, 'text/plain', '<huy@example.vn>')).toEqual({
      kind: 'auto_reply',
      suppressReceipt: true,
      reason,
    });
  });

  it('ignores an X-Auto-Response-Suppress without the listed values', () => {
    expect(classifyInbound({ 'X-Auto-Response-Suppress': 'None' }, 'text/plain', undefined).kind).toBe('personal');
  });

  it.each([
    [{ Precedence: 'bulk' }, 'Precedence: bulk'],
    [{ Precedence: 'List' }, 'Precedence: list'],
    [{ Precedence: 'junk' }, 'Precedence: junk'],
    [{ 'List-Id': '<bantin.example.vn>' }, 'list-id present'],
    [{ 'List-Unsubscribe': '<mailto:huy@example.vn>' }, 'list-unsubscribe present'],
  ])('flags %j as bulk', (headers, reason) => {
    expect(classifyInbound(headers, 'text/plain', '<bantin@example.vn>')).toEqual({
      kind: 'bulk',
      suppressReceipt: true,
      reason,
    });
  });

  it('prefers auto-reply over bulk when both are marked', () => {
    expect(
      classifyInbound({ Precedence: 'bulk', 'Auto-Submitted': 'auto-replied' }, 'text/plain', undefined).kind,
    ).toBe('auto_reply');
  });

  it('recognises bounces by null Return-Path, multipart/report and daemon senders', () => {
    expect(classifyInbound({}, 'text/plain', '<>')).toMatchObject({ kind: 'bounce', reason: 'empty Return-Path' });
    expect(classifyInbound({}, 'text/plain', ' < > ')).toMatchObject({ kind: 'bounce' });
    expect(
      classifyInbound({}, 'multipart/report; report-type=delivery-status; boundary="x"', '<x@example.vn>'),
    ).toMatchObject({ kind: 'bounce', reason: 'multipart/report; report-type=delivery-status' });
    expect(
      classifyInbound({ From: 'Mail Delivery System <MAILER-DAEMON@mx.example.vn>' }, 'text/plain', undefined),
    ).toMatchObject({ kind: 'bounce', reason: 'sender mailer-daemon', suppressReceipt: true });
    expect(classifyInbound(new Map([['from', ['postmaster@example.vn']]]), 'text/plain', undefined).kind).toBe(
      'bounce',
    );
  });

  it('reads read receipts (MDN) as auto-replies, not bounces', () => {
    expect(classifyInbound({}, 'multipart/report; report-type="disposition-notification"', '<>')).toMatchObject({
      kind: 'auto_reply',
    });
  });

  it('reads header names case-insensitively from a Map with repeated values', () => {
    const headers = new Map<string, string | string[]>([['PRECEDENCE', ['first-class', 'list']]]);
    expect(classifyInbound(headers, 'text/plain', undefined).kind).toBe('bulk');
  });
});

describe('bouncedMessageIds', () => {
  it('reads the returned message of a DSN (message/rfc822)', () => {
    const raw = readFileSync(join(FIXTURES, 'bounce-dsn.eml'), 'latin1');
    expect(bouncedMessageIds(raw)).toEqual(['<response.00000000-0000-4000-8000-000000000001@gopy.test>']);
  });

  it('reads text/rfc822-headers parts and folded Message-ID lines', () => {
    const raw = [
      'From: postmaster@example.vn',
      'Message-ID: <dsn.1@example.vn>',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Không gửi được.',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Action: failed',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      'From: hopthu@gopy.test',
      'Message-ID:',
      ' <receipt.00000000-0000-4000-8000-000000000002@gopy.test>',
      'Subject: x',
      '',
      '--b--',
    ].join('\r\n');
    expect(bouncedMessageIds(raw)).toEqual(['<receipt.00000000-0000-4000-8000-000000000002@gopy.test>']);
  });

  it('falls back to Message-ID lines quoted in the body, never the bounce own id', () => {
    const raw = [
      'From: MAILER-DAEMON@example.vn',
      'Message-ID: <dsn.2@example.vn>',
      '',
      'The original message was:',
      'Message-Id: <response.1@gopy.test>',
      'Message-Id: <dsn.2@example.vn>',
    ].join('\n');
    expect(bouncedMessageIds(raw)).toEqual(['<response.1@gopy.test>']);
  });

  it('finds nothing in a message without a body', () => {
    expect(bouncedMessageIds('From: a@example.vn')).toEqual([]);
  });
});

describe('classifyHeaderBlock', () => {
  it('judges a message by its raw headers, folded lines included', () => {
    const personal =
      'From: An <an@example.vn>\r\nSubject: =?UTF-8?B?R8OzcCDDvQ==?=\r\nContent-Type: multipart/mixed;\r\n boundary="x"\r\n\r\n';
    expect(classifyHeaderBlock(personal).kind).toBe('personal');
    const robot = 'From: An <an@example.vn>\r\nAuto-Submitted:\r\n auto-replied\r\nSubject: Vắng mặt\r\n\r\n';
    expect(classifyHeaderBlock(robot)).toMatchObject({ kind: 'auto_reply', suppressReceipt: true });
    const bounce =
      'From: MAILER-DAEMON@mx.example.vn\r\nReturn-Path: <>\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n';
    expect(classifyHeaderBlock(bounce)).toMatchObject({ kind: 'bounce', suppressReceipt: true });
  });
});
