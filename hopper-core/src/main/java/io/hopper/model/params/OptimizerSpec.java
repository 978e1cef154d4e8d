package io.hopper.model.params;

/**
 * An optimizer and its settings, as parsed from compile_params; each record carries Keras's defaults for the
 * keys a string leaves out (see {@link ParamParser} for the grammar) and checks its ranges on construction.
 */
public sealed interface OptimizerSpec {

    /** The learning rate (Keras's lr or learning_rate). */
    double learningRate();

    /** Keras's time-based learning-rate decay: lr / (1 + decay * iterations). */
    double decay();

    /** The Keras class name, e.g. "Adam". */
    String kerasName();

    /**
     * The optimizer as a Keras call with every setting explicit and keys sorted, e.g.
     * {@code Adam(amsgrad=False, beta_1=0.9, beta_2=0.999, decay=0.0, epsilon=1e-07, lr=0.001)}.
     */
    String canonical();

    /** Stochastic gradient descent with optional (Nesterov) momentum. Keras defaults: lr 0.01, momentum 0. */
    record Sgd(double learningRate, double momentum, boolean nesterov, double decay) implements OptimizerSpec {
        /** Checks the ranges. */
        public Sgd {
            checkCommon("SGD", learningRate, decay);
            checkRange("SGD", "momentum", momentum, true);
        }
        /** Keras's defaults. */
        public static Sgd defaults() { return new Sgd(0.01, 0.0, false, 0.0); }
        public String kerasName() { return "SGD"; }
        public String canonical() {
            return "SGD(decay=" + num(decay) + ", lr=" + num(learningRate) + ", momentum=" + num(momentum)
                    + ", nesterov=" + PyFormat.bool(nesterov) + ")";
        }
    }

    /** Adam and AMSGrad. Keras defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad, double decay) implements OptimizerSpec {
        /** Checks the ranges. */
        public Adam {
            checkCommon("Adam", learningRate, decay);
            checkBetas("Adam", beta1, beta2, epsilon);
        }
        /** Keras's defaults. */
        public static Adam defaults() { return new Adam(0.001, 0.9, 0.999, 1e-7, false, 0.0); }
        public String kerasName() { return "Adam"; }
        public String canonical() {
            return "Adam(amsgrad=" + PyFormat.bool(amsgrad) + ", beta_1=" + num(beta1) + ", beta_2=" + num(beta2)
                    + ", decay=" + num(decay) + ", epsilon=" + num(epsilon) + ", lr=" + num(learningRate) + ")";
        }
    }

    /**
     * AdamW (Keras 2.11+ and Keras 3): Adam plus decoupled weight decay, each step first shrinking every trainable weight
     * by lr * weight_decay. Keras defaults: lr 0.001, weight_decay 0.004, beta_1 0.9, beta_2 0.999, epsilon 1e-7.
     */
    record AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon, boolean amsgrad) implements OptimizerSpec {
        /** Checks the ranges. */
        public AdamW {
            checkCommon("AdamW", learningRate, 0);
            checkBetas("AdamW", beta1, beta2, epsilon);
            if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
                throw new IllegalArgumentException("compile_params: AdamW weight_decay=" + shown(weightDecay)
                        + " must be a finite number >= 0; use Keras's weight_decay=0.004");
            }
        }
        /** Keras's defaults. */
        public static AdamW defaults() { return new AdamW(0.001, 0.004, 0.9, 0.999, 1e-7, false); }
        public double decay() { return 0.0; }
        public String kerasName() { return "AdamW"; }
        public String canonical() {
            return "AdamW(amsgrad=" + PyFormat.bool(amsgrad) + ", beta_1=" + num(beta1) + ", beta_2=" + num(beta2)
                    + ", epsilon=" + num(epsilon) + ", lr=" + num(learningRate) + ", weight_decay=" + num(weightDecay) + ")";
        }
    }

    /** RMSprop. Keras defaults: lr 0.001, rho 0.9, epsilon 1e-7. */
    record RmsProp(double learningRate, double rho, double epsilon, double decay) implements OptimizerSpec {
        /** Checks the ranges. */
        public RmsProp {
            checkCommon("RMSprop", learningRate, decay);
            checkRange("RMSprop", "rho", rho, false);
            checkEpsilon("RMSprop", epsilon);
        }
        /** Keras's defaults. */
        public static RmsProp defaults() { return new RmsProp(0.001, 0.9, 1e-7, 0.0); }
        public String kerasName() { return "RMSprop"; }
        public String canonical() {
            return "RMSprop(decay=" + num(decay) + ", epsilon=" + num(epsilon) + ", lr=" + num(learningRate)
                    + ", rho=" + num(rho) + ")";
        }
    }

    /** Adagrad. Keras defaults: lr 0.01, epsilon 1e-7. */
    record Adagrad(double learningRate, double epsilon, double decay) implements OptimizerSpec {
        /** Checks the ranges. */
        public Adagrad {
            checkCommon("Adagrad", learningRate, decay);
            checkEpsilon("Adagrad", epsilon);
        }
        /** Keras's defaults. */
        public static Adagrad defaults() { return new Adagrad(0.01, 1e-7, 0.0); }
        public String kerasName() { return "Adagrad"; }
        public String canonical() {
            return "Adagrad(decay=" + num(decay) + ", epsilon=" + num(epsilon) + ", lr=" + num(learningRate) + ")";
        }
    }

    /** Adadelta. Keras defaults: lr 1.0, rho 0.95, epsilon 1e-7. */
    record Adadelta(double learningRate, double rho, double epsilon, double decay) implements OptimizerSpec {
        /** Checks the ranges. */
        public Adadelta {
            checkCommon("Adadelta", learningRate, decay);
            checkRange("Adadelta", "rho", rho, false);
            checkEpsilon("Adadelta", epsilon);
        }
        /** Keras's defaults. */
        public static Adadelta defaults() { return new Adadelta(1.0, 0.95, 1e-7, 0.0); }
        public String kerasName() { return "Adadelta"; }
        public String canonical() {
            return "Adadelta(decay=" + num(decay) + ", epsilon=" + num(epsilon) + ", lr=" + num(learningRate)
                    + ", rho=" + num(rho) + ")";
        }
    }

    /** Adamax. Keras defaults: lr 0.002, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    record Adamax(double learningRate, double beta1, double beta2, double epsilon, double decay) implements OptimizerSpec {
        /** Checks the ranges. */
        public Adamax {
            checkCommon("Adamax", learningRate, decay);
            checkBetas("Adamax", beta1, beta2, epsilon);
        }
        /** Keras's defaults. */
        public static Adamax defaults() { return new Adamax(0.002, 0.9, 0.999, 1e-7, 0.0); }
        public String kerasName() { return "Adamax"; }
        public String canonical() {
            return "Adamax(beta_1=" + num(beta1) + ", beta_2=" + num(beta2) + ", decay=" + num(decay)
                    + ", epsilon=" + num(epsilon) + ", lr=" + num(learningRate) + ")";
        }
    }

    /** Nadam. Keras defaults: lr 0.002, beta_1 0.9, beta_2 0.999, epsilon 1e-7, schedule_decay 0.004; decay is 0. */
    record Nadam(double learningRate, double beta1, double beta2, double epsilon, double scheduleDecay) implements OptimizerSpec {
        /** Checks the ranges. */
        public Nadam {
            checkCommon("Nadam", learningRate, scheduleDecay);
            checkBetas("Nadam", beta1, beta2, epsilon);
        }
        /** Keras's defaults. */
        public static Nadam defaults() { return new Nadam(0.002, 0.9, 0.999, 1e-7, 0.004); }
        public double decay() { return 0.0; }
        public String kerasName() { return "Nadam"; }
        public String canonical() {
            return "Nadam(beta_1=" + num(beta1) + ", beta_2=" + num(beta2) + ", epsilon=" + num(epsilon)
                    + ", lr=" + num(learningRate) + ", schedule_decay=" + num(scheduleDecay) + ")";
        }
    }

    private static String num(double value) {
        return PyFormat.number(value);
    }

    private static String shown(double value) {
        return Double.isFinite(value) ? PyFormat.number(value) : String.valueOf(value);
    }

    /** lr finite and positive; decay (or schedule_decay) finite and not negative. */
    private static void checkCommon(String optimizer, double learningRate, double decay) {
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("compile_params: " + optimizer + " lr=" + shown(learningRate)
                    + " must be a finite number > 0; use a positive learning rate such as lr=0.001");
        }
        String decayKey = optimizer.equals("Nadam") ? "schedule_decay" : "decay";
        if (!(decay >= 0 && Double.isFinite(decay))) {
            throw new IllegalArgumentException("compile_params: " + optimizer + " " + decayKey + "=" + shown(decay)
                    + " must be a finite number >= 0; use " + decayKey + "=0.0 for no decay");
        }
    }

    private static void checkBetas(String optimizer, double beta1, double beta2, double epsilon) {
        checkRange(optimizer, "beta_1", beta1, false);
        checkRange(optimizer, "beta_2", beta2, false);
        checkEpsilon(optimizer, epsilon);
    }

    /** A coefficient in [0, 1) or, when closed, [0, 1]. */
    private static void checkRange(String optimizer, String key, double value, boolean closed) {
        if (!(value >= 0 && (closed ? value <= 1 : value < 1))) {
            throw new IllegalArgumentException("compile_params: " + optimizer + " " + key + "=" + shown(value)
                    + " must be in [0, 1" + (closed ? "]" : ")") + "; use a value such as " + key + "=0.9");
        }
    }

    private static void checkEpsilon(String optimizer, double epsilon) {
        if (!(epsilon > 0 && Double.isFinite(epsilon))) {
            throw new IllegalArgumentException("compile_params: " + optimizer + " epsilon=" + shown(epsilon)
                    + " must be a finite number > 0; use Keras's epsilon=1e-07");
        }
    }
}
