#pragma once
/// Matrix products whose every entry is summed in one fixed order, k = 0, 1, …, n − 1:
///
///   C_ij = (…((0 + A_i0 B_0j) + A_i1 B_1j) + …) + A_i,n−1 B_n−1,j
///
/// Why not Eigen's product: Eigen blocks a large product by the cache sizes it detects (or is told, through
/// a process-wide setting), and the blocking decides the order of the sums, hence the last bits of the
/// result. A model whose results must be the same bits on every machine and for every caller cannot leave
/// that to the host. Here the order is fixed by the code alone; the loops vectorise over rows i, which
/// changes no entry's order of summation (and -ffp-contract=off forbids fused multiply-adds).
#include <Eigen/Core>

namespace tiesim {

/// product = a · b (a: n x m, b: m x p). `product` must not be `a` or `b`.
void multiply_fixed_order(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b, Eigen::MatrixXd& product);

/// product = a · x (a: n x m, x: m). `product` must not be `x`.
void multiply_fixed_order(const Eigen::MatrixXd& a, const Eigen::VectorXd& x, Eigen::VectorXd& product);

}  // namespace tiesim
