import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';
import { createHttpHistogram } from './metrics';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** Times every request; the route label is the matched template, so paths cannot explode it. */
@Injectable()
export class HttpMetrics {
  private readonly histogram: Histogram<'method' | 'route' | 'status'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.histogram = createHttpHistogram(registry);
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const end = this.histogram.startTimer();
    res.once('finish', () => {
      const route = req.route
        ? `${req.baseUrl}${(req.route as { path: string }).path}`
        : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
