/** Injection tokens for values built before Nest starts (see create-app.ts). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const DATABASE = Symbol('DATABASE');
export const PRISMA = Symbol('PRISMA');
export const APP_VERSION = Symbol('APP_VERSION');
