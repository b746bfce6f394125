import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { loadConfig } from '@gopy/config';
import { createApiApp } from './api.bootstrap';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const app = await createApiApp(config);
  await app.listen({ port: config.http.port, host: config.http.host });
}

void main();
