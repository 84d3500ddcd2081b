import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ConnectorBaseEntity } from '@obc/persistence';

/** The fields every created resource is returned with (API.md conventions). */
export abstract class ResourceResponseDto {
  @ApiProperty({
    description: 'Id of the resource (UUID), assigned by the connector.',
    format: 'uuid',
  })
  id!: string;

  @ApiProperty({
    description: 'When the resource was created (ISO 8601).',
    type: String,
    format: 'date-time',
  })
  created!: string;

  @ApiPropertyOptional({
    description: "Who created it: the body's createdBy, else the id of the API key used.",
    nullable: true,
    type: String,
  })
  createdBy!: string | null;

  @ApiPropertyOptional({
    description: 'Free text given by the caller on create.',
    nullable: true,
    type: String,
  })
  reference!: string | null;

  static base(
    row: ConnectorBaseEntity,
  ): Pick<ResourceResponseDto, 'id' | 'created' | 'createdBy' | 'reference'> {
    return {
      id: row.id,
      created: new Date(row.created).toISOString(),
      createdBy: row.createdBy,
      reference: row.reference,
    };
  }
}

/** A SecretRef in a response: where the secret lives, never its value. */
export class SecretRefResponseDto {
  @ApiProperty({
    enum: ['env', 'file', 'aws-ssm', 'config'],
    description: 'Where the secret is held.',
  })
  source!: string;

  @ApiProperty({ description: "The secret's name in that source (not the secret)." })
  name!: string;
}
