import { Injectable } from '@nestjs/common';

/** Set when a SIGTERM starts the drain: readiness answers 503 and connections stop being kept alive. */
@Injectable()
export class ShutdownState {
  draining = false;
}
