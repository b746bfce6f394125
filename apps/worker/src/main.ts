import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { loadConfig } from '@gopy/config';
import { createWorkerApp } from './worker.bootstrap';

if (existsSync('.env')) process.loadEnvFile('.env');
void createWorkerApp(loadConfig());
