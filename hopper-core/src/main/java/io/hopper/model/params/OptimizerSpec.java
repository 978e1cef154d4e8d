package io.hopper.model.params;

/**
 * An optimizer and its settings, as parsed from compile_params; each record carries Keras's defaults for the
 * keys a string leaves out (see {@link CompileParams} for the grammar).
 */
public sealed interface OptimizerSpec {

    /** The learning rate (Keras's lr or learning_rate). */
    double learningRate();

    /** Keras's time-based learning-rate decay: lr / (1 + decay * iterations). */
    double decay();

    /** The Keras class name, e.g. "Adam". */
    String kerasName();

    /** Stochastic gradient descent with optional (Nesterov) momentum. Keras defaults: lr 0.01, momentum 0. */
    record Sgd(double learningRate, double momentum, boolean nesterov, double decay) implements OptimizerSpec {
        public String kerasName() { return "SGD"; }
    }

    /** Adam and AMSGrad. Keras defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad, double decay) implements OptimizerSpec {
        public String kerasName() { return "Adam"; }
    }

    /** RMSprop. Keras defaults: lr 0.001, rho 0.9, epsilon 1e-7. */
    record RmsProp(double learningRate, double rho, double epsilon, double decay) implements OptimizerSpec {
        public String kerasName() { return "RMSprop"; }
    }

    /** Adagrad. Keras defaults: lr 0.01, epsilon 1e-7. */
    record Adagrad(double learningRate, double epsilon, double decay) implements OptimizerSpec {
        public String kerasName() { return "Adagrad"; }
    }

    /** Adadelta. Keras defaults: lr 1.0, rho 0.95, epsilon 1e-7. */
    record Adadelta(double learningRate, double rho, double epsilon, double decay) implements OptimizerSpec {
        public String kerasName() { return "Adadelta"; }
    }

    /** Adamax. Keras defaults: lr 0.002, beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
    record Adamax(double learningRate, double beta1, double beta2, double epsilon, double decay) implements OptimizerSpec {
        public String kerasName() { return "Adamax"; }
    }

    /** Nadam. Keras defaults: lr 0.002, beta_1 0.9, beta_2 0.999, epsilon 1e-7, schedule_decay 0.004; decay is 0. */
    record Nadam(double learningRate, double beta1, double beta2, double epsilon, double scheduleDecay) implements OptimizerSpec {
        public double decay() { return 0.0; }
        public String kerasName() { return "Nadam"; }
    }
}
