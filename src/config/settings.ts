import { ClassConstructor, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';

/**
 * Validates one module's own environment variables (a class-validator class beside the
 * module), so a bad value stops the app with a message naming the variable, as env.ts does.
 */
export function parseSettings<T extends object>(
  cls: ClassConstructor<T>,
  raw: Record<string, unknown>,
): T {
  // Only this class's own variables, so several classes' results can be merged.
  const own = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((m) => m.propertyName),
  );
  const present = Object.fromEntries(
    Object.entries(raw).filter(
      ([name, value]) => own.has(name) && value !== undefined && value !== '',
    ),
  );
  const settings = plainToInstance(cls, present, { exposeDefaultValues: true });
  const errors = validateSync(settings, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return settings;
}
