package org.symphonyrl.api;

/**
 * What one agent update reports.
 *
 * @param loss       the total loss −ReHAE(TA) + ReHSE(TD) + Ωω
 * @param meanSigma  mean scaling factor σ of the batch's next actions
 * @param meanBeta   mean β of the batch's next actions
 * @param advantage  mean temporal advantage (Q_target − Q_T)/|Q_T| of the batch
 * @param qAverage   the exponential moving average Q̄ of target values after the update
 */
public record UpdateStats(double loss, double meanSigma, double meanBeta, double advantage, double qAverage) {
}
