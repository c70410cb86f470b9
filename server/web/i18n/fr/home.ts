import type { RateKey } from '../../reports/home-figures.js';
import type { SetupItemId, SetupState } from '../../setup/checklist.js';
import type { HOME_MESSAGES } from '../en-home.js';
import { prefixed } from '../keys.js';

/** The console's French text for the home page and the setup checklist (counterpart of en-home.ts). */

const RATES: Record<'sent' | RateKey, string> = {
  sent: 'Envoyés',
  delivered: 'Délivrés',
  open: 'Taux d’ouverture',
  click: 'Taux de clic',
  bounce: 'Taux de rebond',
  complaint: 'Taux de plainte',
  unsubscribe: 'Taux de désabonnement',
};

const ITEMS: Record<SetupItemId, string> = {
  smtp: 'Transport SMTP',
  bounce_domain: 'Domaine de rebond et son MX',
  dkim_key: 'Clé DKIM',
  dkim_record: 'Enregistrement DKIM publié dans le DNS',
  tracking: 'URL de tracking joignable',
  proof: 'Un BAT envoyé',
  admin_password: 'Mot de passe à usage unique de l’administrateur changé',
};

const FIXES: Record<SetupItemId, string> = {
  smtp: 'Dans la configuration du site (config/herald.toml), indiquez transport = "smtp" dans [mta], avec relayHost (et relayUser, relayPassword) pour passer par un relais, ou laissez relayHost vide pour envoyer au MX de chaque domaine ; puis herald restart.',
  bounce_domain:
    'Indiquez dans bounceDomain de [mail] un domaine qui vous appartient (par exemple bounce.example.com) et publiez pour lui un enregistrement MX pointant vers ce serveur, où le module inMail reçoit les rebonds sur le port 25.',
  dkim_key:
    'Créez une clé (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out example.com.pem), lisible par le seul MTA, et ajoutez une table [[delivery.dkim]] avec domain, selector, algorithm et keyFile.',
  dkim_record:
    'Publiez l’enregistrement TXT qu’affiche herald delivery dkim à l’adresse <selector>._domainkey.<domain>. Enregistrement trouvé mais signatures toujours en échec ? Comparez-le avec cette sortie.',
  tracking:
    'Indiquez dans publicUrl de [tracking] l’adresse à laquelle les destinataires joignent le module de tracking (par exemple https://t.example.com) et vérifiez qu’elle répond depuis l’extérieur ; herald status indique si le module tourne.',
  proof: 'Ouvrez une diffusion et envoyez un BAT à votre propre adresse : cela vérifie le contenu, les liens et l’envoi de bout en bout.',
  admin_password:
    'Un administrateur a toujours le mot de passe à usage unique affiché par install.sh : il choisira le sien à sa prochaine connexion, ou réinitialisez-le ici.',
};

const GO: Record<SetupItemId, string> = {
  smtp: '',
  bounce_domain: '',
  dkim_key: '',
  dkim_record: '',
  tracking: '',
  proof: 'Aller aux diffusions',
  admin_password: 'Aller à l’opérateur',
};

const STATES: Record<SetupState, string> = { done: 'Fait', missing: 'Manquant', unknown: 'Non vérifié' };

export const HOME: Record<keyof typeof HOME_MESSAGES, string> = {
  'home.setup': 'Avant d’envoyer de vrais emails : {count} étape(s) restante(s)',
  'home.setup_all': 'La liste de contrôle complète, avec la façon de régler chaque étape',
  'home.setup_done': 'Toutes les étapes de configuration sont faites (liste de contrôle)',
  'home.period': '30 derniers jours (du {from} au {to}, {zone})',
  'home.period_note':
    'Les diffusions comptent le jour de leur lancement dans votre fuseau horaire (à régler dans Votre compte). Suivez le nom d’un chiffre pour voir sa définition.',
  'home.trend': '{figure} par jour du {from} au {to}',
  'home.recent_deliveries': 'Dernières diffusions',
  'home.started': 'Lancement',
  'home.no_deliveries': 'Aucune diffusion n’a encore été lancée.',
  'home.health': 'File d’attente et modules',
  'home.queue': '{running} diffusions en cours : {due} messages à envoyer maintenant, {later} en attente d’une nouvelle tentative',
  ...prefixed('home.rate.', RATES),

  'setup.title': 'Liste de contrôle de la configuration',
  'setup.intro':
    'Ce dont Herald a besoin avant d’envoyer de vrais emails. Le DNS et l’URL de tracking sont vérifiés de nouveau à chaque ouverture de cette page.',
  ...prefixed('setup.item.', ITEMS),
  ...prefixed('setup.fix.', FIXES),
  ...prefixed('setup.go.', GO),
  ...prefixed('setup.state.', STATES),
  'setup.detail.smtp_relay': 'Envoi par le relais {host}.',
  'setup.detail.smtp_direct': 'Envoi direct au MX de chaque domaine.',
  'setup.detail.transport_capture': 'Les messages sont écrits dans des fichiers (transport « capture ») : rien n’est envoyé.',
  'setup.detail.transport_verify': 'Les messages sont construits mais pas transmis (transport « verify »).',
  'setup.detail.bounce_reserved': '« {domain} » n’est pas un domaine joignable depuis Internet.',
  'setup.detail.bounce_no_mx': '{domain} n’a pas d’enregistrement MX.',
  'setup.detail.bounce_mx': '{domain} reçoit les emails sur {hosts}.',
  'setup.detail.dns_off': 'Le DNS n’est pas vérifié ici (web.setupDnsCheck).',
  'setup.detail.dns_error': 'Le DNS n’a pas répondu pour {name} ({error}).',
  'setup.detail.dkim_none': 'Aucune clé DKIM n’est configurée : les fournisseurs de messagerie exigent DKIM pour les envois en masse.',
  'setup.detail.dkim_file': 'Le fichier de clé de {selector}._domainkey.{domain} n’existe pas.',
  'setup.detail.dkim_keys': 'Clés pour {keys}.',
  'setup.detail.dkim_unpublished': 'Aucun enregistrement de clé DKIM à l’adresse {name}.',
  'setup.detail.dkim_published': 'Publié à l’adresse {names}.',
  'setup.detail.tracking_local': '{url} désigne cette machine : les destinataires ne peuvent pas la joindre.',
  'setup.detail.tracking_unchecked': '{url} n’a pas été vérifiée.',
  'setup.detail.tracking_ok': '{url} répond.',
  'setup.detail.tracking_down': '{url} ne répond pas ({error}).',
  'setup.detail.proof_sent': 'Un BAT a été envoyé.',
  'setup.detail.proof_none': 'Aucun BAT n’a encore été envoyé.',
  'setup.detail.admin_changed': 'Chaque administrateur a choisi son propre mot de passe.',
  'setup.detail.admin_one_time': 'Toujours avec le mot de passe à usage unique : {logins}.',
};
