// Two projects: fast unit specs beside the code, and end-to-end suites on real services.
const aliases = {
  '^@gopy/config$': '<rootDir>/config/src/index.ts',
  '^@gopy/(.*)$': '<rootDir>/libs/$1/src/index.ts',
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: aliases,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    '^.+\\.m?js$': '<rootDir>/test/jest/esm-transformer.cjs',
  },
  // ESM-only packages live in node_modules; they must pass through the transformer.
  transformIgnorePatterns: [],
  resolver: '<rootDir>/test/jest/resolver.cjs',
  testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
};

module.exports = {
  // Jest 30 reads the timeout from the root config, not from a project.
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,config}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/utils/global-setup.ts',
      setupFiles: ['reflect-metadata'],
    },
  ],
};
