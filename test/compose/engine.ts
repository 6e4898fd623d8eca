import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { docker, run, succeeds } from './docker';

const ROOT = join(__dirname, '../..');
/** Beside the checkout on this project's machines: an engine and images from Debian's packages. */
const STAND_IN = join(ROOT, '../shared/tools/stand-in-images');
const STAND_IN_STATE = process.env.STAND_IN_DIR ?? '/tmp/stand-in-images';
const ENGINE_START_TIMEOUT_MS = 300_000;
const IMAGES_TIMEOUT_MS = 900_000;

const HOW_TO_INSTALL =
  'No container engine answers `docker info`, and ../shared/tools/stand-in-images/ is not ' +
  'beside the checkout. Install Docker Engine with Compose (v2 plugin or docker-compose v1), ' +
  'e.g. `sudo apt-get install docker.io docker-compose` on Debian, start it, and run again.';

export interface Engine {
  /** Which engine answers, e.g. "engine 20.10.24 overlay2 (stand-in, started by this run)". */
  description: string;
  /** The stand-in engine (ours or already running): official images are built, not pulled. */
  standIn: boolean;
  /** Stops the engine if this run started it (engine.sh stop: by its pid); otherwise nothing. */
  stop(): Promise<void>;
}

const answers = () => succeeds('docker', ['info'], 20_000);

/** The engine that answers, or the stand-in engine started now; fails saying what to install. */
export async function ensureEngine(): Promise<Engine> {
  const engineScript = join(STAND_IN, 'engine.sh');
  const standInRunning = () => isAlive(join(STAND_IN_STATE, 'dockerd.pid'));
  if (await answers()) {
    return { description: await version(), standIn: standInRunning(), stop: async () => {} };
  }
  if (!existsSync(engineScript)) throw new Error(HOW_TO_INSTALL);
  if (process.getuid?.() !== 0) {
    throw new Error(`No container engine answers; ${engineScript} start needs root.`);
  }
  await run(engineScript, ['start'], { timeoutMs: ENGINE_START_TIMEOUT_MS });
  if (!(await answers())) throw new Error(`${engineScript} start did not bring up an engine`);
  return {
    description: `${await version()} (stand-in, started by this run)`,
    standIn: true,
    stop: () => run(engineScript, ['stop'], { timeoutMs: ENGINE_START_TIMEOUT_MS }).then(() => {}),
  };
}

async function version(): Promise<string> {
  return (await docker(['info', '--format', 'engine {{.ServerVersion}} {{.Driver}}'])).trim();
}

function isAlive(pidFile: string): boolean {
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the stand-ins of the official images the stack needs and the engine lacks (a machine
 * that built them before keeps them). Returns what it built; with a real engine, nothing:
 * compose pulls them.
 */
export async function ensureStandInImages(engine: Engine, images: string[]): Promise<string[]> {
  if (!engine.standIn) return [];
  const missing: string[] = [];
  for (const image of images) {
    if (!(await succeeds('docker', ['image', 'inspect', image]))) missing.push(image);
  }
  if (missing.length === 0) return [];
  // The stand-in kinds are named after the official repositories: node, postgres, redis …
  const pairs = missing.map((image) => `${image.split(':')[0].split('/').pop()}=${image}`);
  await run(join(STAND_IN, 'build.sh'), pairs, { timeoutMs: IMAGES_TIMEOUT_MS });
  return missing;
}
