import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { initDataDirInChild } from './embedded-initdb';

/**
 * PGlite's defaults with a 16 MB buffer pool instead of Postgres's 128 MB: the pool lives
 * in the WASM heap, which never shrinks, and the bookstore's data is a few MB.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * PGlite served over the Postgres wire protocol on a random loopback port, so the
 * normal `pg` driver and the same migrations work with nothing installed.
 * One process only: PGlite is a single connection underneath.
 */
@Injectable()
export class EmbeddedPostgres implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedPostgres.name);
  private db?: PGlite;
  private server?: PGLiteSocketServer;

  constructor(private readonly moduleRef: ModuleRef) {}

  async start(dataDir: string): Promise<string> {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    await initDataDirInChild(dir, START_PARAMS);
    this.db = await PGlite.create(dir, { startParams: START_PARAMS });
    this.server = new PGLiteSocketServer({ db: this.db, host: '127.0.0.1', port: 0 });
    await this.server.start();
    this.logger.log(`Database: embedded PGlite at ${dir} (set DATABASE_URL to use PostgreSQL)`);
    return `postgres://postgres@${this.server.getServerConn()}/postgres`;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.db) return;
    // The pool must close before the server under it, whatever order Nest runs hooks in.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.server?.stop();
    await this.db.close();
  }
}
