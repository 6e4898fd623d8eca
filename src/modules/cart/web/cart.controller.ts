import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../../platform/http/error.response';
import { HttpSession, Session } from '../../../session';
import { CartService } from '../application/cart.service';
import { AddItemDto, QuantityDto } from './cart.dto';
import { CartResponse } from './cart.response';

@ApiTags('cart')
@ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'Session store down' })
@Controller('api/cart')
export class CartController {
  constructor(private readonly cart: CartService) {}

  @Get()
  @ApiOkResponse({ type: CartResponse, description: 'No session: an empty cart, none created' })
  get(@Session() session: HttpSession) {
    return this.cart.view(session);
  }

  @Post('items')
  @ApiCreatedResponse({ type: CartResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown product' })
  add(@Session() session: HttpSession, @Body() body: AddItemDto) {
    return this.cart.add(session, body.code, body.quantity);
  }

  @Put('items/:code')
  @ApiOkResponse({ type: CartResponse })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such line in the cart' })
  set(@Session() session: HttpSession, @Param('code') code: string, @Body() body: QuantityDto) {
    return this.cart.setQuantity(session, code, body.quantity);
  }

  @Delete('items/:code')
  @ApiOkResponse({ type: CartResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such line in the cart' })
  remove(@Session() session: HttpSession, @Param('code') code: string) {
    return this.cart.remove(session, code);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The cart is empty' })
  clear(@Session() session: HttpSession): Promise<void> {
    return this.cart.clear(session);
  }
}
