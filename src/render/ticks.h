/* The one tick spacing of every axis the picture draws (the map's, the plots'). */
#ifndef OPTISCOPE_TICKS_H
#define OPTISCOPE_TICKS_H

/* 1, 2 or 5 times a power of ten, at least `least` (> 0). */
double ticks_step(double least);

#endif
