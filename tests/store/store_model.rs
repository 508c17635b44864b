//! Random operation sequences against the store and a plain `BTreeMap`
//! model: every reply and the final contents must agree (redb's habit of
//! fuzzing a sequence of operations against a simple model).

use crate::store_ops;

use std::collections::BTreeMap;

use proptest::prelude::*;
use store_ops::{KEYS, Op, contents, new_store, step};

fn op() -> impl Strategy<Value = Op> {
    let k = 0..KEYS;
    prop_oneof![
        (k.clone(), -5i64..20, any::<bool>()).prop_map(|(k, v, if_absent)| Op::Put {
            k,
            v,
            if_absent
        }),
        (k.clone(), -5i64..5).prop_map(|(k, d)| Op::Add { k, d }),
        k.clone().prop_map(|k| Op::Bump { k }),
        (k.clone(), proptest::option::of(-5i64..20))
            .prop_map(|(k, expect)| Op::Delete { k, expect }),
        k.clone().prop_map(|k| Op::Get { k }),
        (k.clone(), 1..KEYS, 1i64..10).prop_map(|(a, step, x)| Op::Transfer {
            a,
            b: (a + step) % KEYS,
            x
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn store_agrees_with_a_map_model(ops in proptest::collection::vec(op(), 1..40)) {
        let store = new_store();
        let mut model = BTreeMap::new();
        for op in &ops {
            if let Err(e) = step(&store, &mut model, op) {
                prop_assert!(false, "{}", e);
            }
        }
        prop_assert_eq!(contents(&store), model);
    }
}
