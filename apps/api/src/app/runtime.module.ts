import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig, ProcessRole } from '../config/config.js';
import type { Database } from '../database/database.js';
import { JsonLogger } from '../common/json-logger.js';
import { ConnectorRegistry } from '../connectors/connector-registry.js';
import { CryptoService } from '../crypto/crypto.service.js';
import { APP_CONFIG, APP_VERSION, DATABASE, PRISMA } from './tokens.js';

/** Everything prepared before Nest starts: validated config, open database, loaded connectors. */
export interface Runtime {
  readonly role: ProcessRole;
  readonly version: string;
  readonly config: AppConfig;
  readonly database: Database;
  readonly registry: ConnectorRegistry;
  readonly crypto: CryptoService;
  readonly logger: JsonLogger;
}

@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: APP_VERSION, useValue: runtime.version },
      { provide: DATABASE, useValue: runtime.database },
      { provide: PRISMA, useValue: runtime.database.prisma },
      { provide: ConnectorRegistry, useValue: runtime.registry },
      { provide: CryptoService, useValue: runtime.crypto },
      { provide: JsonLogger, useValue: runtime.logger },
    ];
    return { module: RuntimeModule, providers, exports: providers.map((p) => p.provide) };
  }
}
