export * from './normalise-contact.js';
export * from './match-rules.js';
export * from './score-contact-pair.js';
export * from './match-contacts.js';
