//! What a sweep's dataset says: designs ranked by a metric, how much each axis matters, and
//! the designs no other beats on two metrics at once.
//!
//! - Sobol indices (Saltelli design): the output is standardised, y <- (y - mean) / std, as
//!   SALib does; then S1_i = mean(f_B (f_ABi - f_A)) / Var and ST_i = mean((f_A - f_ABi)^2)
//!   / (2 Var), with Var the variance of f_A and f_B together (Saltelli et al., Comput. Phys.
//!   Commun. 181 (2010) 259; Jansen, Comput. Phys. Commun. 117 (1999) 35).
//! - Other designs: Spearman's rank correlation for a numeric axis (ties share their mean
//!   rank), and for a component axis the correlation ratio eta^2 = between-group sum of
//!   squares / total sum of squares (the fraction of the metric's variance the choice of
//!   component explains).

use super::spec::{Design, SweepSpec};

/// Sensitivity of a metric to one axis.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum Sensitivity {
    /// First-order and total Sobol indices.
    Sobol {
        /// First order.
        first: f64,
        /// Total.
        total: f64,
    },
    /// Spearman's rank correlation in [-1, 1].
    RankCorrelation(f64),
    /// Correlation ratio eta^2 in [0, 1] (component axes).
    CorrelationRatio(f64),
}

/// The ranks of `x` (1-based), ties sharing the mean of their ranks.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        f64::NAN
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Spearman's rank correlation of two samples (NaN when either is constant).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

/// The correlation ratio of `y` grouped by `groups` (NaN when y is constant).
pub fn correlation_ratio(groups: &[&str], y: &[f64]) -> f64 {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let total: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let mut by: std::collections::BTreeMap<&str, (f64, usize)> = Default::default();
    for (g, v) in groups.iter().zip(y) {
        let e = by.entry(g).or_default();
        e.0 += v;
        e.1 += 1;
    }
    let between: f64 = by
        .values()
        .map(|(s, k)| *k as f64 * (s / *k as f64 - mean).powi(2))
        .sum();
    if total == 0.0 {
        f64::NAN
    } else {
        between / total
    }
}

/// First-order and total Sobol indices of each of `d` axes from outputs `y` in the Saltelli
/// layout (N (d + 2) values; see the module docs). None when the layout does not fit.
pub fn sobol_indices(d: usize, y: &[f64]) -> Option<Vec<(f64, f64)>> {
    let step = d + 2;
    if d == 0 || y.is_empty() || !y.len().is_multiple_of(step) {
        return None;
    }
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let std = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    if std == 0.0 {
        return None;
    }
    let z: Vec<f64> = y.iter().map(|v| (v - mean) / std).collect();
    let rows = z.len() / step;
    let a: Vec<f64> = (0..rows).map(|j| z[j * step]).collect();
    let b: Vec<f64> = (0..rows).map(|j| z[j * step + step - 1]).collect();
    let ab_mean = a.iter().chain(&b).sum::<f64>() / (2 * rows) as f64;
    let var = a
        .iter()
        .chain(&b)
        .map(|v| (v - ab_mean).powi(2))
        .sum::<f64>()
        / (2 * rows) as f64;
    Some(
        (0..d)
            .map(|i| {
                let ab: Vec<f64> = (0..rows).map(|j| z[j * step + 1 + i]).collect();
                let s1 = (0..rows).map(|j| b[j] * (ab[j] - a[j])).sum::<f64>() / rows as f64;
                let st = (0..rows).map(|j| (a[j] - ab[j]).powi(2)).sum::<f64>() / rows as f64;
                (s1 / var, 0.5 * st / var)
            })
            .collect(),
    )
}

/// The sensitivity of `metric` (one value per run, None for failed runs) to each axis of
/// `spec`, given each run's axis values (`numeric[i][run]` or `labels[i][run]`).
pub fn sensitivities(
    spec: &SweepSpec,
    metric: &[Option<f64>],
    numeric: &[Option<Vec<Option<f64>>>],
    labels: &[Option<Vec<Option<String>>>],
) -> Vec<Option<Sensitivity>> {
    if spec.design == Design::Saltelli && metric.iter().all(|m| m.is_some_and(f64::is_finite)) {
        let y: Vec<f64> = metric.iter().map(|m| m.unwrap_or(f64::NAN)).collect();
        if let Some(s) = sobol_indices(spec.axes.len(), &y) {
            return s
                .into_iter()
                .map(|(first, total)| Some(Sensitivity::Sobol { first, total }))
                .collect();
        }
    }
    (0..spec.axes.len())
        .map(|i| {
            let ok: Vec<usize> = (0..metric.len())
                .filter(|&r| metric[r].is_some_and(f64::is_finite))
                .collect();
            if ok.len() < 3 {
                return None;
            }
            let y: Vec<f64> = ok.iter().map(|&r| metric[r].unwrap_or(f64::NAN)).collect();
            if let Some(Some(x)) = numeric.get(i) {
                let xs: Vec<f64> = ok.iter().map(|&r| x[r].unwrap_or(f64::NAN)).collect();
                let s = spearman(&xs, &y);
                s.is_finite().then_some(Sensitivity::RankCorrelation(s))
            } else if let Some(Some(g)) = labels.get(i) {
                let gs: Vec<&str> = ok.iter().map(|&r| g[r].as_deref().unwrap_or("")).collect();
                let s = correlation_ratio(&gs, &y);
                s.is_finite().then_some(Sensitivity::CorrelationRatio(s))
            } else {
                None
            }
        })
        .collect()
}

/// The indices of the points no other point beats on both coordinates (both maximised),
/// sorted by the first coordinate.
pub fn pareto_front(points: &[(usize, f64, f64)]) -> Vec<usize> {
    let mut front: Vec<(usize, f64, f64)> = points
        .iter()
        .copied()
        .filter(|&(_, x, y)| {
            !points
                .iter()
                .any(|&(_, a, b)| a >= x && b >= y && (a > x || b > y))
        })
        .collect();
    front.sort_by(|p, q| p.1.total_cmp(&q.1).then(p.0.cmp(&q.0)));
    front.into_iter().map(|p| p.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_share_ties_and_spearman_sees_any_monotone_relation() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| (v / 3.0).exp()).collect();
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-15);
        let z: Vec<f64> = x.iter().map(|v| -v.powi(3)).collect();
        assert!((spearman(&x, &z) + 1.0).abs() < 1e-15);
    }

    #[test]
    fn the_correlation_ratio_is_one_when_the_group_decides_and_zero_when_it_does_not() {
        let g = ["a", "a", "b", "b"];
        assert!((correlation_ratio(&g, &[1.0, 1.0, 3.0, 3.0]) - 1.0).abs() < 1e-15);
        assert!(correlation_ratio(&g, &[1.0, 3.0, 1.0, 3.0]).abs() < 1e-15);
    }

    #[test]
    fn sobol_indices_of_an_additive_function_match_its_variance_shares() {
        // f = x1 + 2 x2 with x uniform: V1 = 1/12, V2 = 4/12, so S1 = ST = (0.2, 0.8)
        let (d, n) = (2usize, 4096u32);
        let mut y = Vec::new();
        for j in 0..n {
            let u = |k: usize| f64::from(sobol_burley::sample(j, k as u32, 7));
            let a: Vec<f64> = (0..d).map(u).collect();
            let b: Vec<f64> = (0..d).map(|i| u(d + i)).collect();
            let f = |x: &[f64]| x[0] + 2.0 * x[1];
            y.push(f(&a));
            for i in 0..d {
                let mut ab = a.clone();
                ab[i] = b[i];
                y.push(f(&ab));
            }
            y.push(f(&b));
        }
        let s = sobol_indices(d, &y).unwrap();
        for (i, want) in [0.2, 0.8].into_iter().enumerate() {
            assert!((s[i].0 - want).abs() < 0.01, "S1 {i}: {:?}", s[i]);
            assert!((s[i].1 - want).abs() < 0.01, "ST {i}: {:?}", s[i]);
        }
    }

    #[test]
    fn the_pareto_front_keeps_exactly_the_undominated_points() {
        let p = [
            (0, 1.0, 5.0),
            (1, 2.0, 4.0),
            (2, 1.5, 3.0),
            (3, 3.0, 1.0),
            (4, 2.0, 4.0),
        ];
        assert_eq!(pareto_front(&p), vec![0, 1, 4, 3]);
    }
}
