// Field limits shared by the DTO, the form (hints, counters) and the benchmark baseline.
export const LIMITS = {
  subject: { min: 5, max: 200 },
  body: { min: 10, max: 10_000 },
  followUp: { min: 2, max: 10_000 },
  name: { max: 120 },
  email: { max: 254 },
  phone: { max: 32 },
  address: { max: 300 },
  filename: { max: 200 },
} as const;
