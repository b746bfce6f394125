export { open, seal } from './cipher';
export { PersonalDataCipher } from './personal-data-cipher';
export type { SealedValue } from './personal-data-cipher';
export { CryptoModule } from './crypto.module';
