// The numbers that decide colours, rates and warnings, kept as data (thresholds.json).
import data from './thresholds.json';

export const thresholds = data;
