//! Random operation sequences against the store and a plain `BTreeMap`
//! model: every reply and the final contents must agree (redb's habit of
//! fuzzing a sequence of operations against a simple model), and the
//! table's GSI and LSI equal a rebuild from the table.

use crate::store_ops;

use proptest::prelude::*;
use store_ops::{G, KEYS, Model, Op, StreamReader, check_indexes, contents, new_store, step};

/// What a put or an update does with the GSI key.
fn g() -> impl Strategy<Value = G> {
    prop_oneof![
        3 => Just(G::Keep),
        1 => Just(G::Remove),
        4 => (0u8..3).prop_map(G::Set),
        1 => Just(G::Bad),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let k = 0..KEYS;
    prop_oneof![
        (k.clone(), -5i64..20, any::<bool>(), g()).prop_map(|(k, v, if_absent, g)| Op::Put {
            k,
            v,
            if_absent,
            g
        }),
        (k.clone(), -5i64..5, g()).prop_map(|(k, d, g)| Op::Add { k, d, g }),
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
        let mut model = Model::new();
        let mut reader = StreamReader::new(&store);
        for op in &ops {
            if let Err(e) = step(&store, &mut model, op) {
                prop_assert!(false, "{}", e);
            }
            // The stream, read between writes, rebuilds the table.
            if matches!(op, Op::Get { .. }) {
                if let Err(e) = reader.catch_up(&store) {
                    prop_assert!(false, "{}", e);
                }
                prop_assert_eq!(&reader.replica, &model);
            }
        }
        prop_assert_eq!(contents(&store), model.clone());
        if let Err(e) = reader.catch_up(&store) {
            prop_assert!(false, "{}", e);
        }
        prop_assert_eq!(&reader.replica, &model);
        if let Err(e) = check_indexes(&store) {
            prop_assert!(false, "{}", e);
        }
    }
}
