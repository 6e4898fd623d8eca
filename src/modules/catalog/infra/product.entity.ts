import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ schema: 'catalog', name: 'products' })
export class ProductEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ unique: true })
  code!: string;

  @Column()
  name!: string;

  @Column()
  description!: string;

  @Column({ name: 'image_url' })
  imageUrl!: string;

  /** numeric(10,2) arrives as a string such as "34.00"; kept exact until serialized. */
  @Column({ type: 'numeric', precision: 10, scale: 2 })
  price!: string;
}
