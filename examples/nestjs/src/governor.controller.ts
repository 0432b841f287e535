import { Controller, Get, Inject } from '@nestjs/common';
import type { Governor, GovernorStats } from 'rxjs-aws';
import { GOVERNOR } from './config';

@Controller('governor')
export class GovernorController {
  constructor(@Inject(GOVERNOR) private readonly governor: Governor) {}

  /**
   * What the app's one governor does now, by operation (`DynamoDB.Scan`):
   * its rate (`null` in JSON while it is not limited), requests sent,
   * throttled, waiting. Every endpoint's requests are counted in the same lanes.
   */
  @Get()
  stats(): GovernorStats {
    return this.governor.stats();
  }
}
