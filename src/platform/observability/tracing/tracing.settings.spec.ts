import { tracingSettings } from './tracing.settings';

describe('tracing settings', () => {
  it('is off without an OTLP endpoint (an empty value too)', () => {
    expect(tracingSettings({})).toEqual({ endpoint: undefined, serviceName: 'bookstore' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }).endpoint).toBeUndefined();
  });

  it('is on with an endpoint, under the given service name', () => {
    const raw = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      OTEL_SERVICE_NAME: 'shop',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=compose,team=books',
    };
    expect(tracingSettings(raw)).toEqual({ endpoint: 'http://jaeger:4318', serviceName: 'shop' });
  });

  it('rejects a bad value, naming the variable', () => {
    const bad = [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318' },
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' },
      { OTEL_RESOURCE_ATTRIBUTES: 'no-equals-sign' },
    ];
    for (const raw of bad) expect(() => tracingSettings(raw)).toThrow(Object.keys(raw)[0]);
  });
});
