import { Global, Module } from '@nestjs/common';
import { Clock, CryptoRandomSource, RandomSource, SystemClock } from './time/clock';
import { Sleeper, TimerSleeper } from './time/sleeper';

/** Side effects as providers: the clock, the random source and waiting (STYLE 5). */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: RandomSource, useClass: CryptoRandomSource },
    { provide: Sleeper, useClass: TimerSleeper },
  ],
  exports: [Clock, RandomSource, Sleeper],
})
export class CommonModule {}
