import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** reference / createdBy, accepted on every create body. */
export abstract class CreateResourceDto {
  @ApiPropertyOptional({
    description: 'Free text kept with the resource and returned with it (max 1024 characters).',
    maxLength: 1024,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  reference?: string;

  @ApiPropertyOptional({
    description: 'Who creates the resource; defaults to the id of the API key used.',
    maxLength: 256,
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  createdBy?: string;
}
