/** Line colours for chart series, by index. */
import { SERVICE_PALETTE } from '../theme/service-colors.js';

export function lineColor(index: number): string {
  return SERVICE_PALETTE[index % SERVICE_PALETTE.length] as string;
}
