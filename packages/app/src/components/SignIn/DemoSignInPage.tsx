import { ProxiedSignInPage, SignInPage } from '@backstage/core-components';
import {
  configApiRef,
  IdentityApi,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';

/** Set in the tab while the demo's platform admin is signed in; cleared on sign-out. */
const ADMIN_KEY = 'environments-demo:sign-in-as-admin';

/**
 * The identity, made to clear the admin choice on sign-out so that the next sign-in offers both
 * again. The object itself is kept: the app's identity proxy also calls optional methods it
 * may have beyond IdentityApi (getUserId, getProfile).
 */
function forgettingAdmin(identity: IdentityApi): IdentityApi {
  const signOut = identity.signOut.bind(identity);
  identity.signOut = async () => {
    sessionStorage.removeItem(ADMIN_KEY);
    await signOut();
  };
  return identity;
}

/**
 * The guest sign-in and, in the demo (`environments.demoData`), a second one as the platform
 * team's admin through the backend's `demo-admin` provider, to try the administration page. The
 * choice is kept in the tab's session storage, so reloads stay signed in as the admin.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const demo =
    useApi(configApiRef).getOptionalBoolean('environments.demoData') ?? false;
  if (demo && sessionStorage.getItem(ADMIN_KEY)) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="demo-admin"
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingAdmin(identity))
        }
      />
    );
  }
  return (
    <SignInPage
      {...props}
      auto
      providers={['guest']}
      titleComponent={
        demo && (
          <Button
            variant="outlined"
            onClick={() => {
              sessionStorage.setItem(ADMIN_KEY, 'true');
              window.location.reload();
            }}
          >
            Sign in as the platform admin (demo)
          </Button>
        )
      }
    />
  );
}
