export { LoggingModule, maskTrackingCodes } from './logging.module';
