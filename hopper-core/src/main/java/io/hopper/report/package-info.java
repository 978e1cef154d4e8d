/**
 * Reports of a fit: one self-contained HTML file (leaderboard, learning curves, the schedule as a Gantt chart with
 * worker utilization) and TensorBoard event files of each configuration's metrics. The HTML report also covers an
 * automl search ({@link io.hopper.report.SearchRecord}): where each configuration stopped and the promotions.
 */
package io.hopper.report;
