// dX = dY (the driver sums it over the broadcast axes).
import type { GradRule } from '../types';

export const expand: GradRule = ({ dy }) => [dy[0]];
