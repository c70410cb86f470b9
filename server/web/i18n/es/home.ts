import type { RateKey } from '../../reports/home-figures.js';
import type { SetupItemId, SetupState } from '../../setup/checklist.js';
import type { HOME_MESSAGES } from '../en-home.js';
import { prefixed } from '../keys.js';

/** The console's Spanish text for the home page and the setup checklist (counterpart of en-home.ts). */

const RATES: Record<'sent' | RateKey, string> = {
  sent: 'Enviados',
  delivered: 'Entregados',
  open: 'Tasa de apertura',
  click: 'Tasa de clics',
  bounce: 'Tasa de rebote',
  complaint: 'Tasa de quejas',
  unsubscribe: 'Tasa de bajas',
};

const ITEMS: Record<SetupItemId, string> = {
  smtp: 'Transporte SMTP',
  bounce_domain: 'Dominio de rebotes y su MX',
  dkim_key: 'Clave DKIM',
  dkim_record: 'Registro DKIM publicado en el DNS',
  tracking: 'URL de seguimiento accesible',
  proof: 'Una prueba enviada',
  admin_password: 'Contraseña de un solo uso del administrador cambiada',
};

const FIXES: Record<SetupItemId, string> = {
  smtp: 'En la configuración del sitio (config/herald.toml), ponga transport = "smtp" en [mta], con relayHost (y relayUser, relayPassword) para enviar a través de un relé, o deje relayHost vacío para enviar al MX de cada dominio; después, herald restart.',
  bounce_domain:
    'Ponga en bounceDomain, en [mail], un dominio suyo (por ejemplo bounce.example.com) y publique para él un registro MX que apunte a este servidor, donde el módulo inMail recibe los rebotes en el puerto 25.',
  dkim_key:
    'Cree una clave (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out example.com.pem), legible solo por el MTA, y añada una tabla [[delivery.dkim]] con domain, selector, algorithm y keyFile.',
  dkim_record:
    'Publique en <selector>._domainkey.<dominio> el registro TXT que muestra herald delivery dkim. ¿El registro existe pero las firmas siguen fallando? Compárelo con esa salida.',
  tracking:
    'Ponga en publicUrl, en [tracking], la dirección en la que los destinatarios llegan al módulo de seguimiento (por ejemplo https://t.example.com) y compruebe que responde desde fuera; herald status indica si el módulo está en marcha.',
  proof: 'Abra un envío y mande una prueba a su propia dirección: comprueba el contenido, los enlaces y el envío de principio a fin.',
  admin_password:
    'Un administrador aún tiene la contraseña de un solo uso que mostró install.sh: elegirá la suya en su próximo inicio de sesión, o puede restablecerla aquí.',
};

const GO: Record<SetupItemId, string> = {
  smtp: '',
  bounce_domain: '',
  dkim_key: '',
  dkim_record: '',
  tracking: '',
  proof: 'Ir a los envíos',
  admin_password: 'Ir al operador',
};

const STATES: Record<SetupState, string> = { done: 'Hecho', missing: 'Pendiente', unknown: 'Sin comprobar' };

export const HOME: Record<keyof typeof HOME_MESSAGES, string> = {
  'home.setup': 'Antes de enviar correo real: quedan {count} paso(s)',
  'home.setup_all': 'La lista completa, con cómo resolver cada paso',
  'home.setup_done': 'Todos los pasos de configuración están hechos (lista de comprobación)',
  'home.period': 'Últimos 30 días (del {from} al {to}, {zone})',
  'home.period_note':
    'Los envíos cuentan el día en que empezaron en su zona horaria (configúrela en Su cuenta). Siga el nombre de una cifra para ver su definición.',
  'home.trend': '{figure} por día del {from} al {to}',
  'home.recent_deliveries': 'Últimos envíos',
  'home.started': 'Iniciado',
  'home.no_deliveries': 'Todavía no se ha iniciado ningún envío.',
  'home.health': 'Cola y módulos',
  'home.queue': '{running} envíos en curso: {due} mensajes pendientes ahora, {later} a la espera de un reintento',
  ...prefixed('home.rate.', RATES),

  'setup.title': 'Lista de comprobación de la configuración',
  'setup.intro': 'Lo que Herald necesita antes de enviar correo real. El DNS y la URL de seguimiento se vuelven a comprobar cada vez que se abre esta página.',
  ...prefixed('setup.item.', ITEMS),
  ...prefixed('setup.fix.', FIXES),
  ...prefixed('setup.go.', GO),
  ...prefixed('setup.state.', STATES),
  'setup.detail.smtp_relay': 'Envío a través del relé {host}.',
  'setup.detail.smtp_direct': 'Envío directo al MX de cada dominio.',
  'setup.detail.transport_capture': 'Los mensajes se escriben en archivos (transporte «capture»): no se envía nada.',
  'setup.detail.transport_verify': 'Los mensajes se construyen pero no se transmiten (transporte «verify»).',
  'setup.detail.bounce_reserved': '«{domain}» no es un dominio accesible desde internet.',
  'setup.detail.bounce_no_mx': '{domain} no tiene registro MX.',
  'setup.detail.bounce_mx': '{domain} recibe el correo en {hosts}.',
  'setup.detail.dns_off': 'El DNS no se comprueba aquí (web.setupDnsCheck).',
  'setup.detail.dns_error': 'El DNS no respondió para {name} ({error}).',
  'setup.detail.dkim_none': 'No hay ninguna clave DKIM configurada: los proveedores de correo exigen DKIM para el correo masivo.',
  'setup.detail.dkim_file': 'El archivo de clave de {selector}._domainkey.{domain} no existe.',
  'setup.detail.dkim_keys': 'Claves para {keys}.',
  'setup.detail.dkim_unpublished': 'No hay registro de clave DKIM en {name}.',
  'setup.detail.dkim_published': 'Publicado en {names}.',
  'setup.detail.tracking_local': '{url} designa esta máquina: los destinatarios no pueden llegar a ella.',
  'setup.detail.tracking_unchecked': '{url} no se ha comprobado.',
  'setup.detail.tracking_ok': '{url} responde.',
  'setup.detail.tracking_down': '{url} no responde ({error}).',
  'setup.detail.proof_sent': 'Se ha enviado una prueba.',
  'setup.detail.proof_none': 'Todavía no se ha enviado ninguna prueba.',
  'setup.detail.admin_changed': 'Todos los administradores han elegido su propia contraseña.',
  'setup.detail.admin_one_time': 'Aún con la contraseña de un solo uso: {logins}.',
};
