import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI JSON at /api-docs, Swagger UI at /swagger-ui. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Bookstore API')
    .setDescription('Catalog, session cart, orders and identity')
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('swagger-ui', app, document, { jsonDocumentUrl: 'api-docs' });
}
