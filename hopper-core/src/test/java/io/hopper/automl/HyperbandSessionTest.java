package io.hopper.automl;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HyperbandSessionTest {
    /** The driver's calls, in order. */
    private static final class Calls implements FitSession.Control {
        final List<String> log = new ArrayList<>();

        @Override
        public void add(int mstKey, int targetEpochs) {
            log.add("add " + mstKey + " " + targetEpochs);
        }

        @Override
        public void extend(int mstKey, int targetEpochs) {
            log.add("extend " + mstKey + " " + targetEpochs);
        }

        @Override
        public void stop(int mstKey) {
            log.add("stop " + mstKey);
        }
    }

    private static FitSession.EpochEnd end(int key, int epoch, double loss) {
        return new FitSession.EpochEnd(key, epoch, epoch, Optional.of(new FitResult.ModelOutcome(key, "ok", loss,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty())));
    }

    @Test
    void everyBracketStartsAtOnceAndARoundPromotesItsBestWhenComplete() {
        // R=3, eta=3: bracket 1: 3 configurations to 1, the best to 3; bracket 0: 2 configurations to 3
        HyperbandSession h = new HyperbandSession(HyperbandSchedule.parse("R=3, eta=3"), List.of(1, 2, 3, 4, 5),
                o -> Score.loss(o.trainingLoss()));
        Calls c = new Calls();
        h.start(c);
        assertEquals(List.of("add 1 1", "add 2 1", "add 3 1", "add 4 3", "add 5 3"), c.log);
        h.epochEnded(end(2, 1, 0.5), c);
        h.epochEnded(end(1, 1, 0.7), c);
        assertEquals(5, c.log.size(), "no decision before the round is complete");
        h.epochEnded(end(3, 1, 0.6), c);
        assertEquals(List.of("extend 2 3", "stop 1", "stop 3"), c.log.subList(5, 8).stream().sorted().toList());
        assertArrayEquals(new int[] {1, 1}, h.stage(2));
        assertArrayEquals(new int[] {1, 0}, h.stage(1));
        assertArrayEquals(new int[] {0, 0}, h.stage(4));
        h.epochEnded(end(4, 3, 0.1), c);
        assertEquals(8, c.log.size(), "bracket 0 has one round: nothing more to do");
        assertEquals(0.1, h.score(4).value());
    }

    @Test
    void refusesAWrongNumberOfKeys() {
        assertThrows(IllegalArgumentException.class, () -> new HyperbandSession(HyperbandSchedule.parse("R=3, eta=3"), List.of(1),
                o -> Score.loss(0)));
    }
}
