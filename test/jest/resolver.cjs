// Resolve ESM-only packages (exports with only an "import" condition) for Jest's CommonJS
// runtime; the esm-transformer then compiles what is found.
'use strict';
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    if (request.startsWith('.') || request.startsWith('/')) throw error;
    return options.defaultResolver(request, { ...options, conditions: ['import', 'node', 'default'] });
  }
};
