import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  INestApplication,
  Module,
  Param,
  Post,
  Provider,
  Put,
  StreamableFile,
  Type,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HttpExceptionFilter } from '../../src/platform/http/http-exception.filter';
import {
  HttpSession,
  PRINCIPAL,
  Session,
  sessionAttribute,
  SessionModule,
  SessionModuleOptions,
} from '../../src/session';

/** The attribute names the session tests use: GET /s/attrs shows those that are present. */
const NAMES = [
  ...['a', 'b', 'n', 'cart', 'items', 'half', 'empty', 'streamed', 'big', 'late', 'recentlyViewed'],
  ...Array.from({ length: 20 }, (_, i) => `k${i}`),
  PRINCIPAL.name,
];
const attribute = (name: string) => sessionAttribute<unknown>(name);
const ITEMS = sessionAttribute<string[]>('items');

/** A small app that exercises the session module through HTTP, as a business module would. */
@Controller('s')
class SessionTestController {
  @Get('none')
  none() {
    return { ok: true };
  }

  @Get('attrs')
  attrs(@Session() session: HttpSession) {
    const values = NAMES.map((name): [string, unknown] => [name, session.read(attribute(name))]);
    return Object.fromEntries(values.filter(([, value]) => value !== undefined));
  }

  @Put('attrs/:name')
  set(
    @Session() session: HttpSession,
    @Param('name') name: string,
    @Body() body: { value: unknown },
  ) {
    session.write(attribute(name), body.value);
    return { [name]: body.value };
  }

  @Delete('attrs/:name')
  remove(@Session() session: HttpSession, @Param('name') name: string) {
    session.write(attribute(name), undefined);
    return {};
  }

  /** Read-modify-write of one list: what the cart does. */
  @Post('items')
  async add(@Session() session: HttpSession, @Body() body: { item: string }) {
    const items = await session.update(ITEMS, (list) => [...(list ?? []), body.item]);
    return { items };
  }

  @Post('mutate')
  mutate(@Session() session: HttpSession) {
    const items = session.read(ITEMS) as string[];
    items.push('sneaked');
    return { items };
  }

  @Post('set-then-fail')
  fail(@Session() session: HttpSession) {
    session.write(attribute('half'), 'done');
    throw new BadRequestException('handler failed');
  }

  @Post('empty')
  @HttpCode(204)
  empty(@Session() session: HttpSession) {
    session.write(attribute('empty'), true);
  }

  @Get('stream')
  stream(@Session() session: HttpSession) {
    session.write(attribute('streamed'), true);
    return new StreamableFile(Buffer.from('hello'));
  }

  @Post('invalidate')
  @HttpCode(204)
  async invalidate(@Session() session: HttpSession) {
    await session.invalidate();
  }

  @Post('login')
  async login(@Session() session: HttpSession, @Body() body: { user: string }) {
    session.principal = body.user;
    await session.rotate();
    return { user: body.user };
  }
}

export async function startSessionApp(
  options: SessionModuleOptions,
  extra: { controllers?: Type[]; providers?: Provider[] } = {},
): Promise<INestApplication> {
  @Module({
    imports: [SessionModule.forRoot({ cookieName: 'BOOKSTORE_SESSION', ...options })],
    controllers: [SessionTestController, ...(extra.controllers ?? [])],
    providers: extra.providers ?? [],
  })
  class SessionTestModule {}

  const moduleRef = await Test.createTestingModule({ imports: [SessionTestModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new HttpExceptionFilter());
  await app.init();
  return app;
}

const COOKIE = /^BOOKSTORE_SESSION=([A-Za-z0-9_-]{43}); Path=\/; HttpOnly; SameSite=Strict$/;

/** The session id a response set, if it set one with exactly the expected flags. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const header = ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);
  return header.map((c) => COOKIE.exec(c)?.[1]).find(Boolean);
}
