/**
 * Reports of a fit: one self-contained HTML file (leaderboard, learning curves, the schedule as a Gantt chart with
 * worker utilization) and TensorBoard event files of each configuration's metrics.
 */
package io.hopper.report;
