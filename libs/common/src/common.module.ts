import { Global, Module } from '@nestjs/common';
import { Clock, CryptoRandomSource, RandomSource, SystemClock } from './time/clock';

/** Side effects as providers: the clock and the random source (STYLE 5). */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: RandomSource, useClass: CryptoRandomSource },
  ],
  exports: [Clock, RandomSource],
})
export class CommonModule {}
