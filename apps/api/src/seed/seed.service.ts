import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@ledgerlink/contract';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../app/tokens.js';
import { generatePassword, hashPassword } from '../auth/password.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { DEMO_CONTACTS } from './demo-data.js';
import { SeedRepository } from './seed.repository.js';

export const DEMO_WORKSPACE = 'Demo Workspace';
export const DEMO_ADMIN_EMAIL = 'admin@ledgerlink.local';
export const DEMO_VIEWER_EMAIL = 'viewer@ledgerlink.local';
export const SECOND_WORKSPACE = 'Harbour Goods (second workspace)';

export interface SeedOptions {
  /** Passwords to use when the users are created (tests); generated otherwise. */
  readonly adminPassword?: string;
  readonly viewerPassword?: string;
  /** Where the one-time sign-in line goes (stdout by default). */
  readonly print?: (line: string) => void;
}

export interface SeedResult {
  readonly workspaceId: string;
  /** Set only on the seed that created the users. */
  readonly created: { readonly email: string; readonly password: string }[];
}

/** Demo data, idempotent: running it again changes nothing and prints no password. */
@Injectable()
export class SeedService {
  constructor(
    private readonly repository: SeedRepository,
    private readonly contacts: ContactsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(options: SeedOptions = {}): Promise<SeedResult> {
    const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
    const workspaceId = await this.repository.findOrCreateWorkspace(DEMO_WORKSPACE);
    const created: { email: string; password: string }[] = [];
    const admin = await this.ensureUser(workspaceId, DEMO_ADMIN_EMAIL, 'Demo Admin', 'owner', options.adminPassword);
    if (admin) created.push(admin);
    const viewer = await this.ensureUser(workspaceId, DEMO_VIEWER_EMAIL, 'Demo Viewer', 'viewer', options.viewerPassword);
    if (viewer) created.push(viewer);
    for (const { externalId, ...contact } of DEMO_CONTACTS) await this.contacts.upsertRow(workspaceId, externalId, contact);
    // A second, empty workspace, so the console's workspace switcher has somewhere to go; the
    // demo viewer is an admin there (a role follows the membership, not the person).
    const second = await this.repository.findOrCreateWorkspace(SECOND_WORKSPACE);
    const [adminUser, viewerUser] = await Promise.all([this.repository.findUser(DEMO_ADMIN_EMAIL), this.repository.findUser(DEMO_VIEWER_EMAIL)]);
    if (adminUser) await this.repository.ensureMembership(second, adminUser.id, 'owner');
    if (viewerUser) await this.repository.ensureMembership(second, viewerUser.id, 'admin');

    const embedded = this.config.databaseUrl === null;
    const passwordFile = join(this.config.dataDir, 'admin-password.txt');
    if (created.length > 0) {
      const lines = created.map((u) => `${u.email} ${u.password}`);
      if (embedded) await writeFile(passwordFile, `${lines.join('\n')}\n`, { mode: 0o600 });
      for (const u of created) {
        print(`Ledgerlink demo sign-in: ${u.email} / ${u.password}${embedded ? ` (shown once; also saved in ${passwordFile})` : ' (shown once: note it now)'}`);
      }
    } else if (embedded) {
      print(`Ledgerlink demo sign-in: ${DEMO_ADMIN_EMAIL} (its password is in ${passwordFile})`);
    }
    return { workspaceId, created };
  }

  /** A workspace with one owner (for tests and tooling that need a second tenant). */
  async createWorkspaceWithOwner(input: { readonly workspaceName: string; readonly email: string; readonly name: string; readonly password: string }): Promise<string> {
    const workspaceId = await this.repository.createWorkspace(input.workspaceName);
    const userId = await this.repository.createUser({ email: input.email, name: input.name, passwordHash: await hashPassword(input.password) });
    await this.repository.ensureMembership(workspaceId, userId, 'owner');
    return workspaceId;
  }

  private async ensureUser(workspaceId: string, email: string, name: string, role: Role, password?: string): Promise<{ email: string; password: string } | null> {
    const existing = await this.repository.findUser(email);
    if (existing) {
      await this.repository.ensureMembership(workspaceId, existing.id, role);
      return null;
    }
    const chosen = password ?? generatePassword();
    const userId = await this.repository.createUser({ email, name, passwordHash: await hashPassword(chosen) });
    await this.repository.ensureMembership(workspaceId, userId, role);
    return { email, password: chosen };
  }
}
